"""Pages of public-institution personnel (R3): the institution's own (``institution``) and the bureau's (``staff``)."""
