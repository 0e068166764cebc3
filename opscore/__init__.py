"""OpsCore Workbench: operations and logistics analytics for small businesses.

Import the topic you need, e.g. ``from opscore.store import open_store``. Nothing in
this package imports Streamlit; pages and notebooks call the same functions.
"""

__version__ = "0.1.0"
