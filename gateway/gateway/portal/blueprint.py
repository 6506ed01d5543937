"""The portal's one blueprint; its routes live in the modules of this package."""
from flask import Blueprint

bp = Blueprint("portal", __name__, template_folder="templates", static_folder="static",
               static_url_path="/portal/static")
