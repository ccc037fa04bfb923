"""Pages of the work app."""
