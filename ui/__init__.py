"""Streamlit glue: cached data accessors and the page list. The only package besides pages/ and app.py
that may import streamlit; all computing stays in analysis/."""
