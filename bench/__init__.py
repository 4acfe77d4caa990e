"""Benchmark of the dashboard at the size of a kabupaten or a province (``python -m bench --scale N``).

Outside the test suite on purpose: speed and memory are measured here and compared with targets, never
asserted in timed tests. See bench/__main__.py and the README section "Kinerja".
"""
