"""Run cs-demand-model's own prediction and print in-care population per category as JSON.

Run with the PEER's interpreter (it imports the peer's pandas), e.g.
    .peer-venvs/demand/bin/python tests/forecast/peer_predict.py DIR [MONTHS]
DIR is the unzipped sample (folders named by the year the return starts). This does what
``python -m cs_demand_model predict DIR`` does (default reference period: the 6 months before
the data's end; prediction date 12 months after it) through the peer's public classes, then
sums the predicted population at the prediction date per placement category.
"""

import json
import sys

from cs_demand_model import ModelPredictor
from cs_demand_model.__main__ import CliSetup
from dateutil.relativedelta import relativedelta

setup = CliSetup(sys.argv[1])
months = int(sys.argv[2]) if len(sys.argv) > 2 else 12
prediction_date = setup.end + relativedelta(months=months)
predictor = ModelPredictor.from_model(setup.stats, setup.start, setup.end)
population = predictor.predict((prediction_date - setup.end).days)
by_category: dict = {}
for (_bracket, category), value in population.iloc[-1].items():
    by_category[category] = by_category.get(category, 0.0) + float(value)
print(
    json.dumps(
        {
            "start": setup.start.date().isoformat(),
            "end": setup.end.date().isoformat(),
            "prediction_date": prediction_date.date().isoformat(),
            "by_category": by_category,
        }
    )
)
