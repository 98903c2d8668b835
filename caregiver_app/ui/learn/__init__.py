"""The Learn tab: plain-language, sourced articles about ALS, its medicines and caregiving."""

from caregiver_app.ui.learn.tab import LearnTab

__all__ = ["LearnTab"]
