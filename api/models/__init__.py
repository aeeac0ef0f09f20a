"""What only the JSON API (`/api/...`) answers besides the records of graph/views/records.py: errors and pages of
a list (common.py), stored queries and their answers (stored.py)."""
