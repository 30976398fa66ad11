"""Shared machinery with no Milepost app imports (floor 0, beside `engines`).

Tabular import toolkit (`tabular`), CSV/XLSX downloads (`exports`), chart geometry (`charts`),
showing a service's errors on a form (`form_errors`) and the signals lower apps send to higher
ones (`signals`). Django may be imported here; no `milepost.<app>` may be.
"""
