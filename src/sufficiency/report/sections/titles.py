"""Display titles of the statement's keys (age bands, sex, location, distance, comparators)."""

from __future__ import annotations

AGE_TITLES = {
    "under_1": "Under 1",
    "1_to_4": "1 to 4",
    "5_to_9": "5 to 9",
    "10_to_15": "10 to 15",
    "16_plus": "16 and over",
}
FINE_AGE_TITLES = {
    "under_1": "Under 1",
    "1_to_4": "1 to 4",
    "5_to_9": "5 to 9",
    "10_to_12": "10 to 12",
    "13_to_15": "13 to 15",
    "16_to_17": "16 to 17",
    "18_plus": "18 and over",
}
SEX_TITLES = {"M": "Male", "F": "Female", "U": "Not known", "male": "Male", "female": "Female"}
LOCATION_TITLES = {
    "inside": "Inside the council's area",
    "neighbouring": "Neighbouring areas",
    "distant": "At a distance",
    "unknown": "Location not known",
}
DISTANCE_TITLES = {
    "up_to_20": "Up to 20 miles",
    "over_20_under_100": "Over 20 and under 100 miles",
    "100_plus": "100 miles or more",
    "unknown": "Distance not known",
}
AREA_TITLES = {
    "england": "England",
    "region": "Region",
    "statistical_neighbours": "Statistical neighbours",
}
#: Action plan statuses as the register spells them -> words.
STATUS_TITLES = {
    "not_started": "Not started",
    "in_progress": "In progress",
    "complete": "Complete",
    "completed": "Complete",
    "on_track": "On track",
    "at_risk": "At risk",
    "delayed": "Delayed",
    "overdue": "Overdue",
    "cancelled": "Cancelled",
}
