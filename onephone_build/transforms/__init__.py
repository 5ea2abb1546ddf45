"""Transforms of the model, blind to the output format: the typography rules
(``typography/``) applied to every paragraph (``typeset``)."""
