"""unit_registry: units (单位) and the individuals (个人) registered under them, reviewed by their unit."""
