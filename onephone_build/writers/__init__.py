"""Writers: each renders the shared document model into one output format."""
