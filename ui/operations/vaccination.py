"""Vaccination: courses and doses, anti-HBs, offers, stock, recall letters."""

from __future__ import annotations

from clinic.services.vaccination import courses, offers, recalls, stock
from ui.operations import action

start_course = action(courses.start_course)
stop_course = action(courses.stop_course)
record_dose = action(courses.record_dose)
edit_dose = action(courses.edit_dose)
void_dose = action(courses.void_dose)
record_anti_hbs = action(courses.record_anti_hbs)
record_offer = action(offers.record_offer)
recall_items = action(recalls.recall_items)
add_product = action(stock.add_product)
receive_batch = action(stock.receive_batch)
write_off = action(stock.write_off)
