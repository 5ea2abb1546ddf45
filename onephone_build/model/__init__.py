"""The document model: a book of chapters (Pandoc AST), their text runs, transcripts and
the characters that carry line-breaking meaning. It knows no reader, rule or edition."""
