"""What every stage shares.

    settings     every environment variable, read once into one object
    paths        fixed paths from the project root
    reference    kecamatan, kategori keywords, training types, size criteria (data/reference/*.csv)
    schemas      the four canonical tables of DATA-CONTRACT.md, column names as attributes
    formatting   Indonesian numbers and dates ("Rp 1.250.000", "Rp 1,5 M", "15,3%", "Maret 2017")
    excel        .xlsx written safely (formula-like text stays text), number formats per column
    privacy      NIK and phone numbers masked for screen and exports
    files        atomic writes (temporary file + rename)
    fingerprint  content hash of a data folder
    memory       freed memory handed back to the system
"""
