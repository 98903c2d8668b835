"""ALS Care Companion: a desktop helper for family caregivers of a person with ALS."""

__version__ = "0.1.0"

APP_NAME = "ALS Care Companion"
ORG_NAME = "ALS Care Companion"
