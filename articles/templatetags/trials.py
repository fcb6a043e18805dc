"""Registry codes of clinical trials in plain words, for templates: ``{% load trials %}``,
then ``{{ trial.overall_status|status_label }}``, ``{{ trial.phases|phase_label }}``…
The words come from ``articles.trials``."""

from django import template

from articles import trials

register = template.Library()

register.filter("status_label", trials.status_label)
register.filter("status_tone", trials.status_tone)
register.filter("phase_label", trials.phase_label)
register.filter("sex_label", trials.sex_label)
register.filter("study_type_label", trials.study_type_label)
register.filter("intervention_type_label", trials.intervention_type_label)
register.filter("sponsor_class_label", trials.sponsor_class_label)
register.filter("registry_date", trials.registry_date)


@register.simple_tag
def age_range(trial) -> str:
    return trials.age_range(trial.minimum_age, trial.maximum_age)


@register.simple_tag
def enrollment(trial) -> str:
    return trials.enrollment_label(trial.enrollment, trial.enrollment_type)


@register.inclusion_tag("articles/_trial_status.html")
def status_badge(code: str) -> dict:
    """The status as a badge: the words, with a colour that repeats them."""
    return {"label": trials.status_label(code), "tone": trials.status_tone(code)}
