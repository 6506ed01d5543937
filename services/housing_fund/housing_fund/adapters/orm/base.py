"""The one MetaData every table of housing_fund is defined on (its migrations' target)."""
from sqlalchemy import MetaData

from shared.db.tables import NAMING

metadata = MetaData(naming_convention=NAMING)
