"""Analysis core of Dasbor UMKM Lampung Selatan. Never imports streamlit."""
