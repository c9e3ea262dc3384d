"""Two plain article paragraphs that the unit tests put noise lines between."""

BODY = (
    "The city council voted on Tuesday to expand the bus network, a plan that residents "
    "had asked for during three years of public meetings and consultations."
)
BODY2 = (
    "Officials said the first new routes would open in the spring, and that fares would "
    "stay the same for at least two more years while the service is tested."
)
