"""People: search, register, the person's record, merge (issue 5).

Entry points for the shell:

- ``PersonSearch(ctx, parent)``: ``person_chosen(int)`` when Enter opens a hit.
- ``RegisterDialog(ctx, parent)``: ``registered(int)`` / ``open_existing(int)``.
- ``PersonRecordView(ctx, person_id, parent)``: header, chips and the tabs in
  ``ui.people.tabs.TABS`` (extend that tuple with module tabs).
- ``MergeDialog(ctx, person_id, parent)``: managers only.
"""
