"""Patient profile and caregivers dialogs."""
