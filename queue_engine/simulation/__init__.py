"""A whole simulated day through the real engine and store (`loket simulate`)."""

from queue_engine.simulation.day import Shares, SimulationError
from queue_engine.simulation.play import simulate
from queue_engine.simulation.report import SimulationResult, format_result

__all__ = ["Shares", "SimulationError", "SimulationResult", "format_result", "simulate"]
