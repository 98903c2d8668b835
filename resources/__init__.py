"""Data files of ALS Care Companion (articles, medicine reference, icons).

Installed as the package ``caregiver_app._resources``; find files through
``caregiver_app.paths.resources_dir()``.
"""
