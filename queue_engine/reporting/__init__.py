"""Reports for the front-office manager: KPIs of a day as HTML with plots, and CSV files."""

from queue_engine.reporting.report import write_report

__all__ = ["write_report"]
