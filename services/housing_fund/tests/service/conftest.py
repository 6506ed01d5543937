"""housing_fund in-process against real RabbitMQ and PostgreSQL."""
from housing_fund.service import HousingFundService
from tests.support.service import service_fixtures

globals().update(service_fixtures("housing_fund", HousingFundService))
