"""One module per blueprint, each named ``bp``."""
