"""Registration rules of units and individuals; no framework imports."""
