"""The Python module against the bloc command: the same answers (columns, and values printed at
the CSV's decimals), the same errors, with and without pandas."""

import csv
import io
import json
import math
import os
import subprocess
import sys
import warnings

import pytest

import bloc

HERE = os.path.dirname(os.path.abspath(__file__))


def run_cli(cli, store, *args, ok=True):
    """`bloc --data DIR ARGS`: (exit status, stdout, stderr)."""
    done = subprocess.run(
        [cli, "--data", store.data, *args], capture_output=True, text=True, check=False
    )
    if ok and done.returncode != 0:
        pytest.fail(f"bloc {' '.join(args)}: exit {done.returncode}: {done.stderr}")
    return done.returncode, done.stdout, done.stderr


def cli_csv(cli, store, *args):
    """The CLI's answer as CSV rows (header first)."""
    return list(csv.reader(io.StringIO(run_cli(cli, store, *args, "--format", "csv")[1])))


def is_missing(v):
    return v is None or (isinstance(v, float) and math.isnan(v)) or str(v) == "<NA>"


def printed(v, decimals):
    """A value as the CSV prints it: reals with the column's decimals and no sign on a zero
    (src/lib/render/table.c's fmt_real), integers in full, missing as an empty field."""
    if is_missing(v):
        return ""
    if decimals is None:
        return str(v)
    text = f"{v:.{decimals}f}"
    if text.startswith("-") and not text.strip("-0."):
        text = text[1:]
    return text


def columns_of(answer):
    """(column names, {name: [values]}, {real column: decimals}) of a DataFrame or Rows."""
    if isinstance(answer, bloc.Rows):
        names = list(answer.columns)
        return names, {n: [row[n] for row in answer] for n in names}, answer.decimals
    names = list(answer.columns)
    return names, {n: answer[n].tolist() for n in names}, answer.attrs["decimals"]


def assert_same_as_cli(answer, rows):
    header, body = rows[0], rows[1:]
    names, values, decimals = columns_of(answer)
    assert names == header
    assert all(len(v) == len(body) for v in values.values()), "row count"
    assert body, "the CLI gave no rows: nothing compared"
    for j, name in enumerate(names):
        got = [printed(v, decimals.get(name)) for v in values[name]]
        want = [r[j] for r in body]
        assert got == want, f"column {name}"


FORMS = [True, False]  # as_frame: a DataFrame, then the list of dicts


@pytest.fixture(params=FORMS, ids=["frame", "rows"])
def as_frame(request):
    if request.param:
        pytest.importorskip("pandas")
    return request.param


def test_results(cli, store, as_frame):
    got = bloc.results("ge2024", store=store, as_frame=as_frame)
    assert_same_as_cli(got, cli_csv(cli, store, "results", "ge2024"))


def test_results_by_seat(cli, store, as_frame):
    got = bloc.results("ge2019", by="seat", store=store, as_frame=as_frame)
    assert_same_as_cli(got, cli_csv(cli, store, "results", "ge2019", "--by", "seat"))


def test_swing(cli, store, as_frame):
    got = bloc.swing("ge2019", "ge2024", pair="CON,LAB", store=store, as_frame=as_frame)
    assert_same_as_cli(
        got, cli_csv(cli, store, "swing", "ge2019", "ge2024", "--pair", "CON,LAB")
    )


SCENARIO = dict(
    shares={"LAB": 34, "CON": 24, "REF": 17.5},
    group={"muslim": {"LAB": -20, "IND": 12}},
    baseline="survey:LAB=86,CON=9,LD=3,GRN=2",
    swing={("LD", "GRN"): 1.5},
    region={"Scotland": {"SNP": 30, "LAB": 35}},
    model="strong",
)
SCENARIO_FLAGS = [
    "--shares", "LAB=34,CON=24,REF=17.5",
    "--group", "muslim:LAB=-20,IND=12",
    "--baseline", "survey:LAB=86,CON=9,LD=3,GRN=2",
    "--swing", "LD:GRN=1.5",
    "--region", "Scotland:SNP=30,LAB=35",
    "--model", "strong",
]  # fmt: skip


@pytest.mark.parametrize("by", ["party", "seat", "changes", "flow"])
def test_project_with_a_scenario(cli, store, as_frame, by):
    got = bloc.project("ge2024", by=by, store=store, as_frame=as_frame, **SCENARIO)
    want = cli_csv(cli, store, "project", "ge2024", *SCENARIO_FLAGS, "--by", by)
    assert_same_as_cli(got, want)


def test_project_scenario_dict_is_the_file(cli, store, tmp_path):
    scenario = {
        "base": "ge2024",
        "model": "proportional",
        "shares": {"LAB": 30, "CON": 22, "REF": 20},
        "groups": [{"group": "muslim", "change": {"LAB": -15}}],
        "baseline": "survey:LAB=86,CON=9,LD=3,GRN=2",
    }
    path = tmp_path / "scenario.json"
    path.write_text(json.dumps(scenario))
    got = bloc.project("ge2024", scenario, by="seat", store=store, as_frame=False)
    assert_same_as_cli(got, cli_csv(cli, store, "project", str(path), "--by", "seat"))
    # a path is given as on the command line
    again = bloc.project("ge2024", str(path), by="seat", store=store, as_frame=False)
    assert list(again) == list(got)


def test_project_text_and_dict_settings_agree(store):
    a = bloc.project("ge2024", store=store, as_frame=False, **SCENARIO)
    b = bloc.project(
        "ge2024",
        shares="LAB=34,CON=24,REF=17.5",
        group=["muslim:LAB=-20,IND=12"],
        baseline="survey:LAB=86,CON=9,LD=3,GRN=2",
        swing="LD:GRN=1.5",
        region="Scotland:SNP=30,LAB=35",
        model="strong",
        store=store,
        as_frame=False,
    )
    assert list(a) == list(b)
    assert a.meta["scenario"] == b.meta["scenario"]


def test_power(cli, store, as_frame):
    got = bloc.power("ge2024", group="muslim", store=store, as_frame=as_frame)
    assert_same_as_cli(got, cli_csv(cli, store, "power", "ge2024", "--group", "muslim"))


def test_power_simulated_and_decisive(cli, store, as_frame):
    settings = dict(group="muslim", cohesion=0.7, sims=300, seed=7, decisive=True)
    got = bloc.power("ge2024", store=store, as_frame=as_frame, **settings)
    want = cli_csv(
        cli, store, "power", "ge2024", "--group", "muslim", "--cohesion", "0.7",
        "--sims", "300", "--seed", "7", "--decisive",
    )  # fmt: skip
    assert_same_as_cli(got, want)


def test_power_summary(cli, store, as_frame):
    got = bloc.power("ge2024", summary=True, store=store, as_frame=as_frame)
    assert_same_as_cli(got, cli_csv(cli, store, "power", "ge2024", "--summary"))


def test_targets(cli, store, as_frame):
    got = bloc.targets("ge2024", "LAB", limit=50, store=store, as_frame=as_frame)
    assert_same_as_cli(got, cli_csv(cli, store, "targets", "ge2024", "LAB", "--limit", "50"))


@pytest.mark.parametrize(
    "call, args",
    [
        (lambda s: bloc.indices("ge2019", wasted=True, store=s), ["indices", "ge2019", "--wasted"]),
        (lambda s: bloc.seat("ge2024", "Islington North", store=s), ["seat", "ge2024", "Islington North"]),
        (lambda s: bloc.backtest("ge2017", "ge2019", store=s), ["backtest", "ge2017", "ge2019"]),
        (lambda s: bloc.elections(store=s), ["elections"]),
        (lambda s: bloc.ei("ge2024", groups="muslim,christian", store=s), ["ei", "ge2024", "--groups", "muslim,christian"]),
        (lambda s: bloc.simulate("Bradford West", "by-elections-previous-ge:election_date=2010-05-06", electors=3000, replicates=3, stand="RES", strategy="RES=doorstep", store=s),
         ["simulate", "Bradford West", "by-elections-previous-ge:election_date=2010-05-06", "--electors", "3000", "--replicates", "3", "--stand", "RES", "--strategy", "RES=doorstep"]),
        (lambda s: bloc.simulate(base="ge2019", all=True, scale=0.002, replicates=1, store=s),
         ["simulate", "--all", "ge2019", "--scale", "0.002", "--replicates", "1"]),
    ],
    ids=["indices", "seat", "backtest", "elections", "ei", "simulate", "simulate-all"],
)  # fmt: skip
def test_other_tables(cli, store, call, args):
    assert_same_as_cli(call(store), cli_csv(cli, store, *args))


def test_metadata(cli, store):
    got = bloc.project("ge2024", shares={"LAB": 34}, store=store, as_frame=False)
    out = json.loads(run_cli(cli, store, "project", "ge2024", "--shares", "LAB=34", "--format", "json")[1])
    assert set(got.meta) == set(out["meta"])
    assert got.meta["scenario"] == out["meta"]["scenario"]
    assert got.meta["base_source"] == out["meta"]["base_source"]  # a repeated key: a list
    assert isinstance(got.meta["base_source"], list) and len(got.meta["base_source"]) == 2


def test_documents_are_the_cli_bytes(cli, store):
    svg = bloc.map("ge2024", store=store)
    assert isinstance(svg, bloc.Document) and svg.media_type == "image/svg+xml"
    assert svg == run_cli(cli, store, "map", "ge2024")[1]
    html = bloc.report("ge2024", store=store)
    assert html.media_type.startswith("text/html")
    assert html == run_cli(cli, store, "report", "ge2024")[1]


def test_ei_synth_truth_beside(cli, store, tmp_path):
    got = bloc.ei_synth(units=40, seed=5, store=store, as_frame=False)
    out = tmp_path / "units.csv"
    run_cli(cli, store, "ei-synth", "--units", "40", "--seed", "5", "-o", str(out))
    assert_same_as_cli(got, list(csv.reader(io.StringIO(out.read_text()))))
    assert got.aux.suffix == ".truth.csv"
    assert got.aux == (tmp_path / "units.truth.csv").read_text()


def cli_error(cli, store, *args):
    status, _, err = run_cli(cli, store, *args, ok=False)
    assert status != 0
    return status, err.splitlines()[0]


@pytest.mark.parametrize(
    "call, args, code, status",
    [
        (lambda s: bloc.results("ge2099", store=s), ["results", "ge2099"], -7, 1),
        (lambda s: bloc.project("ge2024", shares={"LAB": 120}, store=s), ["project", "ge2024", "--shares", "LAB=120"], None, 1),
        (lambda s: bloc.power("ge2024", group="martians", store=s), ["power", "ge2024", "--group", "martians"], -7, 1),
        (lambda s: bloc.power("ge2024", group="muslim", cohesion=1.5, store=s), ["power", "ge2024", "--group", "muslim", "--cohesion", "1.5"], None, 1),
        (lambda s: bloc.swing("ge2019", "ge2024", pair="CON", store=s), ["swing", "ge2019", "ge2024", "--pair", "CON"], -8, 2),
        (lambda s: bloc.targets("ge2024", "XYZ", store=s), ["targets", "ge2024", "XYZ"], -8, 2),
    ],
    ids=["no-contest", "shares-over-100", "no-group", "cohesion", "pair", "party"],
)  # fmt: skip
def test_errors_carry_blocs_message(cli, store, call, args, code, status):
    with pytest.raises(bloc.BlocError) as e:
        call(store)
    got_status, line = cli_error(cli, store, *args)
    assert got_status == status
    assert e.value.code < 0 and e.value.name.startswith("BLOC_E")
    if code is not None:
        assert e.value.code == code
    assert (e.value.code == -8) == (status == 2)
    # the CLI prints "bloc: MESSAGE" (a usage error: "bloc: COMMAND: MESSAGE")
    prefix = f"bloc: {args[0]}: " if status == 2 else "bloc: "
    assert line == prefix + e.value.message


def test_unknown_setting_names_it(store):
    with pytest.raises(bloc.BlocError, match="unknown setting 'colour' for 'results'"):
        bloc.results("ge2024", colour="red", store=store)


def test_too_many_positional_arguments(store):
    with pytest.raises(TypeError, match="at most 1 positional"):
        bloc.results("ge2024", "ge2019", store=store)


def test_a_scenario_dict_only_for_project(store):
    with pytest.raises(TypeError, match="for project"):
        bloc.map("ge2024", {"shares": {"LAB": 30}}, store=store)


def test_closed_store_is_refused():
    st = bloc.Store(os.environ.get("BLOC_DATA"))
    st.close()
    with pytest.raises(ValueError, match="after close"):
        bloc.results("ge2024", store=st)


def test_default_store_is_opened_once():
    a = bloc.default_store()
    bloc.results("ge2024")
    assert bloc.default_store() is a


def test_answer_warnings_are_python_warnings(cli, store, tmp_path):
    """What the CLI prints as a warning on standard error comes as a BlocWarning, and with the
    answer (an R x C sampler stopped before it converged)."""
    units = tmp_path / "units.csv"
    run_cli(cli, store, "ei-synth", "--units", "30", "--seed", "2", "-o", str(units))
    settings = dict(units=str(units), id="id", groups="G1,G2,G3", parties="P1,P2,P3,P4")
    flags = ["--units", str(units), "--id", "id", "--groups", "G1,G2,G3", "--parties", "P1,P2,P3,P4"]
    with pytest.warns(bloc.BlocWarning, match="not converged") as caught:
        got = bloc.ei(method="rxc", draws=10, burnin=100, store=store, as_frame=False, **settings)
    _, out, err = run_cli(cli, store, "ei", *flags, "--method", "rxc", "--draws", "10", "--burnin", "100", "--format", "csv")
    assert err == "".join(f"bloc: ei: {w}\n" for w in got.warnings)
    assert [str(w.message) for w in caught] == list(got.warnings)
    assert_same_as_cli(got, list(csv.reader(io.StringIO(out))))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a converged fit warns nothing
        bloc.ei(method="goodman", store=store, **settings)


def test_rows_without_pandas(cli, store):
    """With pandas unimportable the answer is a Rows, and the same answer."""
    code = (
        "import sys, json; sys.modules['pandas'] = None\n"
        "import bloc\n"
        "r = bloc.swing('ge2019', 'ge2024', pair='CON,LAB', store=bloc.Store(sys.argv[1]))\n"
        "print(json.dumps({'type': type(r).__name__, 'columns': r.columns,\n"
        "                  'decimals': r.decimals, 'rows': r, 'meta': r.meta}))\n"
    )
    env = dict(os.environ)
    if not env.get("BLOC_PY_INSTALLED"):
        env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(HERE), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", code, store.data], capture_output=True, text=True, env=env,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    got = json.loads(done.stdout)
    assert got["type"] == "Rows"
    rows = bloc.Rows(got["rows"])
    rows.columns, rows.decimals = got["columns"], got["decimals"]
    assert_same_as_cli(rows, cli_csv(cli, store, "swing", "ge2019", "ge2024", "--pair", "CON,LAB"))
    assert (got["meta"]["a"], got["meta"]["b"], got["meta"]["from"]) == (
        "CON", "LAB", "ge2019-notional-2023")


def test_missing_data_directory(tmp_path):
    st = bloc.Store(tmp_path / "nowhere")
    with pytest.raises(bloc.BlocError, match="cannot open data directory") as e:
        bloc.results("ge2024", store=st)
    assert e.value.name == "BLOC_EIO"
    # a question that needs no data still runs from such a store
    assert len(bloc.ei_synth(units=20, store=st, as_frame=False)) == 20
    st.close()


def test_threads_share_a_store(store):
    """Calls from several threads at once (ctypes lets go of the GIL) give the answers of one
    thread, and each failure its own message."""
    from concurrent.futures import ThreadPoolExecutor

    def ask(lab):
        if lab % 5 == 0:
            try:
                bloc.project("ge2024", shares={"LAB": 101}, store=store)
            except bloc.BlocError as e:
                return str(e)
        return list(bloc.project("ge2024", shares={"LAB": lab}, store=store, as_frame=False))

    labs = [20 + i % 20 for i in range(80)]
    serial = [ask(lab) for lab in labs]
    with ThreadPoolExecutor(4) as pool:
        assert list(pool.map(ask, labs)) == serial
    assert any(isinstance(x, str) and "LAB" in x for x in serial)


def test_a_library_without_whole_column_reads(store, monkeypatch):
    """Against a libbloc without bloc_table_column_reals/strings (older than the module), cells
    are read one by one, to the same answer."""
    from bloc import _native

    lib = _native.load()

    class Older:
        def __getattr__(self, name):
            if name.startswith("bloc_table_column_") and name != "bloc_table_column_name" and (
                name.endswith("reals") or name.endswith("strings")
            ):
                raise AttributeError(name)
            return getattr(lib, name)

    want = bloc.power("ge2024", group="muslim", store=store, as_frame=False)
    monkeypatch.setattr(_native, "load", lambda: Older())
    got = bloc.power("ge2024", group="muslim", store=store, as_frame=False)
    assert list(got) == list(want) and got.meta == want.meta
    assert any(row["group_share"] is None for row in got)  # missing cells on this path too


def test_every_question_has_a_function():
    """A question added to the library gets its function here (and its positional settings)."""
    assert sorted(bloc.questions()) == sorted(bloc.POSITIONAL)
    for name in bloc.questions():
        fn = getattr(bloc, name.replace("-", "_"))
        assert callable(fn) and name in fn.__doc__


def test_import_without_the_library_and_a_clear_error():
    """The module imports without libbloc; the first call says where it looked."""
    code = (
        "import bloc\n"
        "try:\n"
        "    bloc.results('ge2024')\n"
        "except OSError as e:\n"
        "    print('OSError', e)\n"
    )
    env = dict(os.environ, BLOC_LIB="/nonexistent/libbloc.so")
    if not env.get("BLOC_PY_INSTALLED"):
        env["PYTHONPATH"] = os.pathsep.join([os.path.dirname(HERE), env.get("PYTHONPATH", "")])
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("OSError libbloc not found")
    assert "BLOC_LIB: /nonexistent/libbloc.so" in done.stdout
