"""The deterministic demo organisation behind `milepost demo` (a package, no models)."""
