"""The regional view (issue 21): a regional team's pages for the region named by the deployment
setting ``SUFFICIENCY_REGION`` (a REGION.toml): its needs side by side, one regional market,
the vacancy pool with a referral matched across it, and the regional forecast, gap and block
contract. Everything shown comes from ``sufficiency.region`` and ``report.regional``; these
modules only load, cache and lay out."""
