"""Vaccination: courses and doses, hepatitis B offers, recalls and vaccine stock."""
