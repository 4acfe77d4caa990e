"""Mode Presentasi: the key views one at a time for a projector — full width, large type, no sidebar — with
Sebelumnya / Berikutnya buttons. Each view carries its source, the data date and the active filters. The
views are the slides of the PowerPoint deck (analysis.report), drawn with the dashboard's own charts.
The step is in the URL (?langkah=3), so a link opens the meeting where it left off."""
from datetime import date

import streamlit as st

from analysis import report
from analysis.core import formatting as fmt
from analysis.insight import budget, training, trends
from analysis.output import charts, maps
from ui import data, filters, navigation, plan
from ui.deck import PPTX_MIME

STEPS = (report.TITLE, report.INDICATORS, report.MAP, report.TRENDS, report.IMPACT, report.BUDGET, report.NOTES)
KEY_STEP, QUERY_STEP = "presentasi_langkah", "langkah"
CHART = {"displaylogo": False, "scrollZoom": False, "displayModeBar": False}
FONT = 18  # chart text on a projector
# Local CSS only (no external assets): hide the sidebar and Streamlit's header, use the whole width, large type.
STYLE = """
<style>
section[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], header[data-testid="stHeader"],
[data-testid="stSidebarNav"] {display: none !important;}
.block-container, [data-testid="stMainBlockContainer"] {max-width: 100% !important; padding: 1.2rem 2.5rem 1rem;}
h1 {font-size: 1.05rem !important; color: #5F5A4E !important; padding: 0 !important;}
h2 {font-size: 2.7rem !important;}
[data-testid="stMetricValue"], [data-testid="stMetricValue"] div {font-size: 2.6rem !important;}
[data-testid="stMetricLabel"], [data-testid="stMetricLabel"] p {font-size: 1.25rem !important;}
[data-testid="stCaptionContainer"] p, .stCaption p {font-size: 1.05rem !important;}
[data-testid="stMarkdownContainer"] li, [data-testid="stMarkdownContainer"] p {font-size: 1.35rem;}
[data-testid="stTable"] td, [data-testid="stTable"] th, table td, table th {font-size: 1.2rem !important;}
</style>
"""

navigation.ensure_router()  # a direct link must go through app.py
st.markdown(STYLE, unsafe_allow_html=True)
st.title("Mode Presentasi")

if KEY_STEP not in st.session_state:
    linked = st.query_params.get(QUERY_STEP, "1")
    st.session_state[KEY_STEP] = min(len(STEPS), max(1, int(linked))) if str(linked).isdigit() else 1


def _move(by: int) -> None:
    st.session_state[KEY_STEP] = min(len(STEPS), max(1, st.session_state[KEY_STEP] + by))


step = st.session_state[KEY_STEP]
st.query_params[QUERY_STEP] = str(step)
back, forward, where, pptx, leave = st.columns([1.3, 1.3, 3, 1.8, 1.4], vertical_alignment="center")
# Arrow keys as on a slide deck (many presenter remotes send them too).
back.button("Sebelumnya", icon=":material/arrow_back:", on_click=_move, args=(-1,), disabled=step == 1,
            key="presentasi_sebelumnya", width="stretch", shortcut="Left")
forward.button("Berikutnya", icon=":material/arrow_forward:", on_click=_move, args=(1,), disabled=step == len(STEPS),
               key="presentasi_berikutnya", width="stretch", type="primary", shortcut="Right")
where.markdown(f"**{step} / {len(STEPS)}** · {report.SLIDE_TITLES[STEPS[step - 1]]}")
params = plan.current(data.budget_default_costs())
pptx.download_button("Unduh PowerPoint", data.deck_builder(params), file_name="bahan_rapat_umkm.pptx",
                     mime=PPTX_MIME, icon=":material/slideshow:", on_click="ignore", key="presentasi_pptx")
leave.page_link("pages/ringkasan.py", label="Keluar", icon=":material/close:")

# Only the current view is computed (each piece is cached per filter state): a filter change on the title
# slide must not wait for the trend, the plan or the impact estimate.
if data.load_tables() is None:
    st.stop()
view = STEPS[step - 1]
chosen, until = filters.current(), data.data_until()
st.header(report.SLIDE_TITLES[view], divider="gray")

if view == report.TITLE:
    per_kecamatan = data.deck_per_kecamatan()
    text, picture = st.columns([1.2, 1])
    text.markdown(f"### {report.dinas()}")
    text.markdown(f"Tanggal: {fmt.date_label(date.today())}  \nData sampai: {fmt.month_label(until)}"
                  f"  \nFilter: {chosen.describe()}")
    shapes = data.map_shapes()
    figure = maps.indicator_figure(per_kecamatan, report.MAP_KEY, shapes, height=520, width_hint=600)
    picture.plotly_chart(figure.update_layout(font_size=14), config=CHART, theme=None, key="presentasi_sampul")
elif view == report.INDICATORS:
    rows = data.deck_indicators().to_dict("records")
    for start in range(0, len(rows), 4):
        for column, row in zip(st.columns(4), rows[start:start + 4]):
            column.metric(row["Indikator"], row["Nilai"], None if row["Perubahan"] == fmt.MISSING else row["Perubahan"],
                          border=True)
elif view == report.MAP:
    shapes = data.map_shapes()
    figure = maps.indicator_figure(data.deck_per_kecamatan(), report.MAP_KEY, shapes, height=640, width_hint=1100)
    st.plotly_chart(figure.update_layout(font_size=FONT), config=CHART, theme=None, key="presentasi_peta")
    if shapes.note:
        st.caption(shapes.note)
elif view == report.TRENDS:
    trend = data.deck_trend()
    figure = charts.lines_by_group(trend, trends.PERIODE, trends.PENJUALAN, trends.KATEGORI, x_text=trends.TICK,
                                   formatter=fmt.rupiah_short, y_label="Penjualan per triwulan", height=600)
    st.plotly_chart(figure.update_layout(font_size=FONT), config=CHART, theme=None, key="presentasi_tren")
    note = trends.incomplete_note(trend)
    if note:
        st.caption(note)
elif view == report.IMPACT:
    impact = data.plan_impact()
    if impact is None:
        st.stop()
    chart, table = st.columns([1, 1.2])
    effects = training.effects_frame(impact)
    figure = charts.intervals(effects, training.COL_JENIS, training.COL_EFEK, training.COL_CI_BAWAH,
                              training.COL_CI_ATAS, value_label="Perubahan penjualan bulanan", height=560)
    chart.plotly_chart(figure.update_layout(font_size=FONT), config=CHART, theme=None, key="presentasi_dampak")
    table.table(report.impact_frame(impact), hide_index=True)
elif view == report.BUDGET:
    result = data.budget_plan(params)
    if result is None:
        st.stop()
    chart, side = st.columns([1.3, 1])
    parts = budget.contributions_table(result)
    figure = charts.stacked_bars(parts, budget.COL_KECAMATAN, [c.label for c in budget.CRITERIA], value_label="Skor prioritas",
                                 height=640)
    chart.plotly_chart(figure.update_layout(font_size=15), config=CHART, theme=None, key="presentasi_anggaran")
    for card in budget.headlines(result):
        side.metric(card.label, card.value, border=True)
    for warning in result.warnings:
        side.warning(f"Perkiraan lemah — {warning}.", icon=":material/warning:")
elif view == report.NOTES:
    result = data.budget_plan(params)
    if result is None:
        st.stop()
    st.markdown("\n".join(f"- {line}" for line in data.deck_notes(result)))

st.caption(report.stamp(view, until, chosen))
