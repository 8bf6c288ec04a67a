"""Runs from launch to end: the RunController is the only door for a launch, a watch or a cancel."""
