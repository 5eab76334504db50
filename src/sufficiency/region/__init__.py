"""Regional mode (issue 21): councils planning and placing together.

* ``minimise`` / ``share`` / ``identifiers``: what leaves a council (its share) and the import
  that refuses direct identifiers; ``shared``: the Dataset a share rebuilds;
* ``config``: REGION.toml (member councils, what each shares, a block contract to price);
* ``combine`` / ``needs``: every measure per council and for the region, protected together;
* ``market``: homes by URN across councils, capacity against need, placements across borders;
* ``outlook``: forecasts per council and combined, the regional gap, a block contract's saving;
* ``pool``: the regional vacancy pool and a referral matched across it.
"""
