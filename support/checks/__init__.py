"""One module of checkers per lesson; each registers its exercises with ``@exercise``."""
