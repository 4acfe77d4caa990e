"""Frames in, figures out: one plotly helper per chart kind (charts) and the offline map (maps)."""
