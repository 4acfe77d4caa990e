"""Prioritas Anggaran: a planner sets next year's training budget, the cost of a seat per training type and
the weights of six criteria per kecamatan; the page ranks the kecamatan with each criterion's points
visible, hands out whole seats within the budget, gives the extra sales those seats may bring as a range
(with a warning where the impact estimate is weak), lists the producers to invite (NIK and phone masked;
each row links to the producer's profile on Direktori UMKM) and exports the plan to Excel. Every input is in
the URL, so the plan can be reopened and audited."""
from urllib.parse import urlencode

import streamlit as st

from analysis.core import reference as ref
from analysis.insight import budget, summary
from analysis.output import charts
from ui import auth, data, directory, filters, navigation, plan

KEY_DOWNLOAD, KEY_CHART, KEY_LINK_DATA = "anggaran_unduh", "anggaran_grafik", "anggaran_data_tautan"
CHART = {"displaylogo": False, "scrollZoom": False}

navigation.ensure_router()  # a direct link must go through app.py
allowed = auth.permissions()  # NIK and phone in full for admin data only; no list at all in the public view
st.title("Prioritas Anggaran")
st.caption("Rencana pelatihan tahun depan: ke kecamatan mana, berapa kursi per jenis pelatihan, dan perkiraan "
           "hasilnya — selalu dalam batas anggaran.")

tables = data.load_tables()
if tables is None:
    st.stop()
made_with, shown = plan.link_data(), data.data_tag()
if made_with and made_with != shown:
    # A link reopens the same plan only on the same data: say so, and offer that data where it still exists.
    target = data.source_for_tag(made_with)
    st.warning(f"Tautan rencana ini dibuat dengan {data.describe_tag(made_with)}, sedangkan yang tampil sekarang "
               f"{data.active_source().label}. Rencana di bawah dihitung dengan data yang tampil sekarang, jadi kursi "
               "dan calon pesertanya dapat berbeda dari rencana yang dikirim."
               + ("" if target else " Data tautan itu sudah tidak ada di komputer ini."), icon=":material/history:")
    if target:
        st.button("Tampilkan dengan data tautan", key=KEY_LINK_DATA, icon=":material/restore:",
                  on_click=data.choose_source, args=(target,))
with st.expander("Parameter rencana", expanded=True, icon=":material/tune:"):
    params = plan.inputs(data.budget_default_costs(), shown)
result = data.budget_plan(params)
if result is None:
    st.stop()
chosen = filters.current()
stamp = f"{summary.data_until_line(data.data_until())} · Filter: {chosen.describe()}"

st.subheader("Hasil rencana")
for column, card in zip(st.columns([1, 0.8, 0.9, 1.5]), budget.headlines(result)):  # the range needs the room
    column.metric(card.label, card.value, help=card.help, border=True)
if result.n_seats == 0:
    st.info(f"Belum ada kursi yang dapat dibiayai: {budget.no_seats_reason(result.params, result.room)}",
            icon=":material/info:")
for warning in result.warnings:
    st.warning(f"Perkiraan lemah — {warning}. Rentang tambahan penjualannya belum dapat dijadikan pegangan.",
               icon=":material/warning:")

st.subheader("Peringkat kecamatan")
parts = budget.contributions_table(result)
st.plotly_chart(charts.stacked_bars(parts, budget.COL_KECAMATAN, [c.label for c in budget.CRITERIA],
                                    value_label="Skor prioritas (poin dari tiap kriteria, 0–100)"),
                config=CHART, key=KEY_CHART)
st.caption(f"Skor = jumlah poin; poin kriteria = bobot ÷ jumlah bobot × nilai kriteria × 100. {stamp}")

st.subheader("Kursi per kecamatan dan jenis pelatihan")
st.dataframe(ref.with_kabupaten(budget.seats_display(result), budget.COL_KECAMATAN), hide_index=True, height="content")
st.caption("Kursi dibagi satu per satu: jenis yang paling jauh di bawah porsi anggarannya, lalu kecamatan dengan "
           "skor × UMKM yang dapat dilatih tertinggi (metode Sainte-Laguë). UMKM yang dapat dilatih: melapor "
           f"penjualan dalam {budget.ACTIVE_MONTHS} bulan terakhir dan belum pernah ikut pelatihan jenis itu.")

st.subheader("Perkiraan tambahan penjualan")
st.dataframe(budget.sales_table(result), hide_index=True)
st.caption(budget.RANGE_NOTE)

with st.expander("Nilai kriteria per kecamatan", icon=":material/table:"):
    st.dataframe(ref.with_kabupaten(budget.criteria_display(result), budget.COL_KECAMATAN), hide_index=True,
                 height="content")

st.subheader("Undangan pelatihan")
# The page text of the list when it is shown (the same rows: the caption only counts them).
invited = data.budget_candidates(result, show_personal=allowed.see_personal, display=allowed.see_records)
rules = "; ".join(f"{jenis}: {rule}" for jenis, rule in budget.CANDIDATE_RULES.items())
st.caption(f"Sesuai kursi per jenis dan kecamatan: {budget.invitation_counts(invited)}. Hanya UMKM yang melapor penjualan "
           f"dalam {budget.ACTIVE_MONTHS} bulan terakhir dan belum pernah ikut pelatihan jenis itu; {rules}; lalu "
           "penjualan terbesar. "
           + ("NIK dan nomor HP ditampilkan lengkap (admin data)." if allowed.see_personal else "NIK dan nomor HP disamarkan."))
if allowed.see_records:
    # One tab per training type, and widths that fit the page: the list is read row by row, never sideways.
    # (product and market reach are in the Excel file)
    widths = {budget.COL_URUTAN: 72, budget.COL_KECAMATAN: 95, "Desa": 88, "Nama usaha": 145, "Pemilik": 108,
              budget.COL_PENJUALAN: 100, budget.COL_NIK: 128, budget.COL_HP: 112}
    labels = {budget.COL_PENJUALAN: "Penjualan/tahun"}
    config = {column: st.column_config.TextColumn(labels.get(column, column), width=width)
              for column, width in widths.items()}
    kinds = list(dict.fromkeys(invited[budget.COL_JENIS_PELATIHAN]))
    for tab, jenis in zip(st.tabs(kinds), kinds) if kinds else []:
        rows = invited[invited[budget.COL_JENIS_PELATIHAN] == jenis]
        linked, links = directory.with_links(rows, budget.COL_ID, keep=directory.SIDEBAR_KEYS)
        tab.dataframe(linked, hide_index=True, height=420, column_config={**config, **links},
                      column_order=[directory.COL_LINK, *widths])
else:
    st.info("Tampilan publik: daftar UMKM tidak ditampilkan, hanya jumlahnya.", icon=":material/visibility_off:")

link = "?" + urlencode({**dict(st.query_params)})
st.download_button(
    "Unduh Excel", data.budget_workbook(result, link, show_personal=allowed.see_personal, records=allowed.see_records),
    file_name="prioritas_anggaran.xlsx", icon=":material/download:", on_click="ignore", key=KEY_DOWNLOAD,
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
)
st.caption("Semua parameter rencana ada di alamat halaman ini dan di lembar Parameter berkas Excel, sehingga rencana "
           "dapat dibuka kembali dan diperiksa.")
