"""Everything of Dasbor UMKM but the screen; never imports streamlit.

The packages follow the data:

    core       what every stage shares: settings, paths, reference tables, schemas, number formats
    ingest     spreadsheets -> the four clean tables + a report accounting for every row
    insight    the numbers the pages show: filters, indicators, trends, training tables, budget plan
    impact     training impact per jenis, with bootstrap intervals and checks
    output     plotly charts and the offline map
    boundaries kecamatan polygons: a user's file imported, or the schematic fallback
    report     the meeting deck and presentation views
    office     what the Dinas keeps: uploads and versions, the Kelola Data tables, accounts
    demo       the seeded demo spreadsheets and their truth (not used by the dashboard)

``users.py`` here only keeps the command ``python -m analysis.users`` (the code is office/users.py).
"""
