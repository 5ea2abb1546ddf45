"""The author's commands beside the build: import, serve, stats, new, lint."""
