"""The catalogue's pages: `offers` (courses and qualifications), `tracks`, `booklet`."""
