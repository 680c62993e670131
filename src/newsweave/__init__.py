"""newsweave: turn a pile of news articles in many languages into stories, offline."""

from .api import Newsweave, open, run
from .config import Config
from .errors import ItemError, NewsweaveError
from .pipeline import STAGES, RunReport
from .records import Article, Block, RawDocument
from .store import ArticleFilter

__version__ = "0.1.0"
__all__ = ["Article", "ArticleFilter", "Block", "Config", "ItemError", "Newsweave", "NewsweaveError",
           "RawDocument", "RunReport", "STAGES", "open", "run"]
