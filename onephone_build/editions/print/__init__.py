"""The print edition: documents for WeasyPrint (``document``), the confined layout
(``layout``), chapters laid out in parallel parts (``parts``), joined (``join``), and the
writer (``writer``)."""
