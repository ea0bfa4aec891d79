"""The dashboard: its levers as overrides, its plots, and the page in a real browser.

The browser test starts ``ecosim dashboard`` on a free port and drives headless Chromium
(Debian's ``chromium`` and ``chromium-driver``) through selenium: the page loads, a lever moves,
Reset rebuilds the model with it, Step advances it and a plot changes. It is skipped, with the
reason, where Chromium or its driver is missing, or where Solara's front-end files can be
neither fetched from its CDN nor found in its cache (``make dashboard-assets``).
"""

from __future__ import annotations

import inspect
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

pytest.importorskip("solara", reason="the dashboard needs the 'dashboard' extra (Solara)")

from ecosim import dashboard
from ecosim.cli import app
from ecosim.config import Uniform, load_scenario
from ecosim.model import RegionModel
from ecosim.streams import Streams
from ecosim.transitions import Transitions

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
COMBINED = ROOT / "scenarios" / "rijnmond_combined.yaml"


# --------------------------------------------------------------------------- levers


def test_levers_at_the_scenarios_values_add_no_override() -> None:
    config = load_scenario(COMBINED)
    gov = config.government
    assert (
        dashboard.lever_overrides(
            config,
            workforce_size=config.worker_agents,
            vouchers=gov.vouchers.enabled,
            voucher_amount=gov.vouchers.amount_per_person_per_year,
            employer_subsidy_share=0.0,  # the slider's value for a subsidy that is off
            retraining=gov.retraining.enabled,
            hc_agenda=gov.hc_agenda.enabled,
            noise_reduction=gov.hc_agenda.noise_reduction,
            learning_communities=bool(config.learning_communities),
            transition_delay=0,
            demand_scale=1.0,
        )
        == {}
    )


def test_model_params_are_the_models_arguments_and_reset_rebuilds_the_same_model() -> None:
    params = dashboard.model_params(COMBINED)
    accepted = inspect.signature(dashboard.DashboardModel.__init__).parameters
    assert set(params) <= set(accepted)
    assert "scenario" not in accepted  # SolaraViz would pass its own Mesa scenario there
    values = {k: v["value"] if isinstance(v, dict) else v for k, v in params.items()}
    config = load_scenario(COMBINED)
    size = values.pop("workforce_size")
    assert size == dashboard.DEFAULT_SIZE
    del values["scenario_file"], values["replicate"]
    assert dashboard.lever_overrides(config, workforce_size=size, **values) == (
        dashboard.lever_overrides(config, workforce_size=size)
    )


def test_a_smaller_workforce_stands_for_the_same_persons() -> None:
    config = load_scenario(COMBINED)
    overrides = dashboard.lever_overrides(config, workforce_size=10_000)
    assert overrides == {"resolution": pytest.approx(config.workforce.persons / 10_000)}
    small = load_scenario(COMBINED, overrides)
    assert small.worker_agents == 10_000
    assert small.workforce.persons == config.workforce.persons


def test_dashboard_model_at_its_defaults_is_the_scenario_run() -> None:
    """Same seed, same levers: the same months, bit for bit (and the scenario's own run)."""
    model = dashboard.DashboardModel(TINY, workforce_size=400)
    again = dashboard.DashboardModel(TINY, workforce_size=400)
    config = load_scenario(TINY)
    plain = RegionModel(TINY, **{"resolution": config.workforce.persons / 400})
    for m in (model, again, plain):
        m.run(months=4)
    pd.testing.assert_frame_equal(model.timeseries(), again.timeseries())
    pd.testing.assert_frame_equal(model.timeseries(), plain.timeseries())
    other = dashboard.DashboardModel(TINY, workforce_size=400, replicate=1)
    assert other.config.seed == config.seed + 1


def test_switching_an_unfunded_instrument_on_funds_it() -> None:
    model = dashboard.DashboardModel(
        TINY, workforce_size=400, vouchers=True, employer_subsidy_share=0.3, hc_agenda=True
    )
    gov = model.config.government
    assert gov.vouchers.enabled and gov.vouchers.budget == dashboard.UNFUNDED_BUDGETS["vouchers"]
    assert gov.employer_subsidy.enabled and gov.employer_subsidy.share == 0.3
    assert gov.hc_agenda.enabled and gov.hc_agenda.budget > 0
    assert not gov.retraining.enabled
    assert set(model.moved) == {"vouchers", "employer_subsidy_share", "hc_agenda"}
    assert model.overrides["government.vouchers.enabled"] is True
    assert "vouchers on" in dashboard.run_summary(model)


def test_learning_communities_go_where_the_transitions_move_demand() -> None:
    config = load_scenario(COMBINED)
    on = load_scenario(COMBINED, dashboard.lever_overrides(config, learning_communities=True))
    named = {d.sector for t in config.transitions for d in t.demand if d.sector}
    assert {lc.sector for lc in on.learning_communities} == named
    off = dashboard.lever_overrides(on, learning_communities=False)
    assert off == {"learning_communities": []}


def test_delay_moves_every_transition_time_and_the_drawn_values_with_it() -> None:
    config = load_scenario(COMBINED)
    late = load_scenario(COMBINED, dashboard.lever_overrides(config, transition_delay=6))
    base_tr, late_tr = config.transitions[0], late.transitions[0]
    start, moved = base_tr.demand[0].path.start, late_tr.demand[0].path.start
    assert isinstance(start, Uniform) and isinstance(moved, Uniform)
    assert (moved.low, moved.high) == (start.low + 6, start.high + 6)
    assert late_tr.demand[2].path.start == base_tr.demand[2].path.start + 6
    assert late_tr.events[1].month == base_tr.events[1].month + 6
    table, moved_table = config.transitions[1].demand[3].path, late.transitions[1].demand[3].path
    assert [t + 6 for t, _ in table.points] == [t for t, _ in moved_table.points]
    drawn = Transitions(config, Streams.from_seed(config.seed).transitions).drawn
    drawn_late = Transitions(late, Streams.from_seed(config.seed).transitions).drawn
    starts = [k for k in drawn if k.endswith(".start")]
    assert starts
    for key in starts:  # the same seed draws the same place in the moved distribution
        assert drawn_late[key] == pytest.approx(drawn[key] + 6)


def test_delay_limits_keep_transitions_out_of_the_burn_in() -> None:
    config = load_scenario(COMBINED)
    low, high = dashboard.delay_limits(config)
    assert (low, high) == (-6, dashboard.MAX_DELAY)  # the retrofit wave may start at month 6
    early = load_scenario(COMBINED, dashboard.lever_overrides(config, transition_delay=low))
    for tr in early.transitions:
        for item in (*tr.demand, *tr.drift):
            if item.path.kind != "table":
                assert dashboard._lowest(item.path.start) >= 0
        for event in tr.events:
            assert dashboard._lowest(event.month) >= 1


def test_demand_scale_scales_the_change_not_the_level() -> None:
    config = load_scenario(COMBINED)
    limit = dashboard.demand_scale_limit(config)
    assert limit == 1.6  # the fossil decline may end at 0.4: beyond 1 / 0.6 it turns negative
    big = load_scenario(COMBINED, dashboard.lever_overrides(config, demand_scale=limit))
    for base_tr, big_tr in zip(config.transitions, big.transitions, strict=True):
        for base_d, big_d in zip(base_tr.demand, big_tr.demand, strict=True):
            if base_d.path.kind == "table":
                for (_, v), (_, w) in zip(base_d.path.points, big_d.path.points, strict=True):
                    assert w - 1 == pytest.approx(limit * (v - 1))
            else:
                f, g = dashboard._lowest(base_d.path.final), dashboard._lowest(big_d.path.final)
                assert g - 1 == pytest.approx(limit * (f - 1))
                assert g >= 0
        assert big_tr.drift == base_tr.drift  # only demand is scaled


def test_scenario_without_transitions_has_no_transition_levers() -> None:
    params = dashboard.model_params(TINY)
    assert "transition_delay" not in params and "demand_scale" not in params
    assert "transition_delay" in dashboard.model_params(COMBINED)


# --------------------------------------------------------------------------- plots


def test_shortfall_by_skill_adds_up_to_each_occupations_shortfall() -> None:
    model = dashboard.DashboardModel(TINY, workforce_size=400)
    model.run(months=3)
    parts = dashboard.shortfall_by_skill(model)
    assert parts.shape == (len(model.world.occupation_names), len(model.world.skill_names))
    table = model.tables()["by_occupation"]
    now = table[table["month"] == model.month].set_index("occupation")
    expected = now["mean_shortfall_incumbents"].reindex(model.world.occupation_names).to_numpy()
    held = ~np.isnan(expected)
    assert held.any() and (parts[held] >= 0).all()
    np.testing.assert_allclose(parts[held].sum(axis=1), expected[held], rtol=1e-9, atol=1e-12)
    assert np.isnan(parts[~held]).all()


def test_panels_show_the_current_step() -> None:
    model = dashboard.DashboardModel(TINY, workforce_size=400)
    indicator = dashboard.IndicatorPanel(model, "unemployment_rate", "U", True)
    gaps, sectors = dashboard.SkillGapPanel(model), dashboard.SectorPanel(model)
    for panel in (indicator, gaps, sectors):
        panel.update(model)
    assert indicator.line.get_marker() == "o"  # one month is a point
    model.step()
    model.step()
    for panel in (indicator, gaps, sectors):
        panel.update(model)
    x, y = indicator.line.get_data()
    assert list(x) == [0, 1, 2]
    np.testing.assert_array_equal(y, model.timeseries()["unemployment_rate"].to_numpy())
    assert gaps.ax.get_title().endswith("step 2")
    employment, target = next(iter(sectors.lines.values()))
    assert len(employment.get_xdata()) == 3 and target.get_linestyle() == "--"


# --------------------------------------------------------------------------- command line


def test_dashboard_command_reports_a_bad_scenario_with_exit_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(TINY.read_text().replace("months: 12", "months: 0"))
    result = CliRunner().invoke(app, ["dashboard", str(bad)])
    assert result.exit_code == 2
    assert re.search(rf"^{re.escape(str(bad))}:\d+: months: ", result.stderr, re.M)
    missing = CliRunner().invoke(app, ["dashboard", str(tmp_path / "nope.yaml")])
    assert missing.exit_code == 2 and "file not found" in missing.stderr


# --------------------------------------------------------------------------- the page


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
WAIT = 180  # seconds a page may take to show something on a loaded machine (not a measure)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, b""
    except OSError:
        return 0, b""


@pytest.fixture(scope="module")
def server() -> Iterator[str]:
    """``ecosim dashboard`` on the combined scenario, on a free port, for this module."""
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip(
            "needs Chromium and its driver (Debian: apt-get install chromium chromium-driver)"
        )
    pytest.importorskip("selenium", reason="needs selenium (the 'test' extra)")
    port = _free_port()
    url = f"http://127.0.0.1:{port}/"
    command = [sys.executable, "-m", "ecosim", "dashboard", str(COMBINED), "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + WAIT
        status, page = _get(url)
        while status != 200 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(1)
            status, page = _get(url)
        if status != 200:
            process.kill()
            output = process.communicate()[0].decode(errors="replace")
            pytest.fail(f"the dashboard did not serve {url}:\n{output}")
        for asset in sorted(set(re.findall(rb'"([^"]*/_solara/cdn/[^"]+)"', page))):
            asset_url = re.sub(r"^.*?/_solara/", url + "_solara/", asset.decode())
            if _get(asset_url)[0] != 200:
                pytest.skip(
                    f"Solara's front end is not reachable ({asset_url}): no CDN from here; "
                    "`make dashboard-assets` puts it in Solara's cache"
                )
        yield url
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        if process.stdout:
            process.stdout.close()


@pytest.fixture()
def browser(tmp_path: Path) -> Iterator[object]:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={tmp_path / 'chromium'}",
        "--window-size=1600,1500",
    ):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    try:
        yield driver
    finally:
        driver.quit()


def _image(driver, img) -> str:
    """The bytes of a plot's image (base64), read by the page from its blob URL."""
    return driver.execute_async_script(
        """const [img, done] = arguments;
        fetch(img.src).then(r => r.blob()).then(b => {
            const reader = new FileReader();
            reader.onload = () => done(reader.result);
            reader.readAsDataURL(b);
        }).catch(e => done('error: ' + e));""",
        img,
    )


def test_page_moves_a_lever_steps_and_redraws(server: str, browser, tmp_path: Path) -> None:
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    wait = WebDriverWait(browser, WAIT)
    plots = (By.CSS_SELECTOR, ".vue-grid-item img")
    browser.get(server)
    wait.until(lambda d: len(d.find_elements(*plots)) == 6)
    assert "every lever at the scenario's value" in browser.find_element(By.TAG_NAME, "body").text

    slider = browser.find_element(
        By.XPATH,
        "//div[contains(@class, 'v-input')][.//label[contains(., 'Delay')]]//*[@role='slider']",
    )
    assert slider.get_attribute("aria-valuenow") == "0"
    browser.execute_script("arguments[0].focus()", slider)
    ActionChains(browser).send_keys(Keys.ARROW_RIGHT).perform()  # one month later
    wait.until(lambda d: slider.get_attribute("aria-valuenow") == "1")

    def click(label: str) -> None:
        buttons = browser.find_elements(By.TAG_NAME, "button")
        next(b for b in buttons if b.text.strip().lower() == label).click()

    click("reset")
    wait.until(
        lambda d: "levers moved: transition delay 1." in d.find_element(By.TAG_NAME, "body").text
    )
    wait.until(lambda d: len(d.find_elements(*plots)) == 6)
    before = [_image(browser, img) for img in browser.find_elements(*plots)]
    click("step")
    wait.until(lambda d: "Time: 1" in d.find_element(By.TAG_NAME, "body").text)
    for i in (0, 5):  # the unemployment rate gains a month; the heat map shows step 1
        wait.until(lambda d, i=i: _image(d, d.find_elements(*plots)[i]) != before[i])
    shot = tmp_path / "dashboard.png"
    assert browser.save_screenshot(str(shot))
    print(f"dashboard screenshot: {shot}")
    assert shot.stat().st_size > 10_000
