"""The numbers the pages show, as pure functions over the four tables.

    filters      the shared sidebar filters as a value: applied to the tables, to and from the URL
    coded        the sales as small coded arrays per data version (filters as masks, sums as bincounts)
    metrics      monthly sales totals and the months the data covers
    indicators   the indicator catalogue (definition, formula, source), per kabupaten and kecamatan
    summary      the Ringkasan cards and the sentences on period, data date and UMKM counted
    profile      one kecamatan's profile
    trends       category trends, growth on the same months, seasonality, top products
    training     the Dampak Pelatihan tables: comparison of jenis, events, coverage, method text
    budget       budget priorities: criteria, weighted score, seats within budget, candidates
"""
