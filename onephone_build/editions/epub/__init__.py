"""The EPUB edition (``writer``): package, navigation, cover page; later its store profiles."""
