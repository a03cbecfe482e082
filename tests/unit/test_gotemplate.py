"""The --format templates scripts use with the docker CLI."""

from __future__ import annotations

import pytest

from compose_lite.cli.gotemplate import go_json, go_quote, render, table
from compose_lite.errors import ConfigError

RECORDS = [
    {"Name": "p-web-1", "State": "running", "Publishers": [], "RunningFor": "2 minutes ago"},
    {"Name": "p-db-10", "State": "exited", "Publishers": [{"TargetPort": 5432}], "RunningFor": "1 hour ago"},
]


def test_fields_json_and_literal_text() -> None:
    assert render("{{.Name}}: {{.State}}", RECORDS) == "p-web-1: running\np-db-10: exited\n"
    assert render("{{json .Publishers}}", RECORDS) == '[]\n[{"TargetPort":5432}]\n'  # Go's compact JSON
    assert render("{{json .}}", RECORDS[:1]).startswith('{"Name":"p-web-1"')


def test_table_adds_titles_and_aligns() -> None:
    assert render("table {{.Name}}\\t{{.RunningFor}}", RECORDS) == (
        "NAME      CREATED\np-web-1   2 minutes ago\np-db-10   1 hour ago\n"
    )


def test_tables_align_as_gos_tabwriter_with_the_last_cell_unpadded() -> None:
    rows = [("NAME", "STATUS", "PORTS"), ("p-web-1", "Up 2 seconds", "80/tcp"), ("p-db-1", "Exited (0)", "")]
    assert table(rows, min_width=10) == ("NAME      STATUS         PORTS\n"
                                         "p-web-1   Up 2 seconds   80/tcp\n"
                                         "p-db-1    Exited (0)     \n")  # an empty last cell: padding kept
    assert table([("SERVICE", "#", "C"), ("web", "1", "0")], min_width=4, padding=2) == (
        "SERVICE  #   C\nweb      1   0\n")


def test_json_and_quoting_as_go_writes_them() -> None:
    assert go_json({"Ports": "127.0.0.1:80->80/tcp", "Command": "a & b <c> …"}) == (
        '{"Ports":"127.0.0.1:80-\\u003e80/tcp","Command":"a \\u0026 b \\u003cc\\u003e …"}')
    assert go_quote('sh -c "echo hi"') == '"sh -c \\"echo hi\\""'


def test_unknown_fields_and_forms_are_errors_that_say_what_exists() -> None:
    with pytest.raises(ConfigError) as info:
        render("{{.Nope}}", RECORDS)
    assert "Name" in (info.value.hint or "")
    with pytest.raises(ConfigError):
        render("{{range .}}x{{end}}", RECORDS)


def test_labels_functions_and_pipes_as_the_docker_cli_reads_them() -> None:
    record = {"Name": "p-web-1", "State": "running", "Publishers": [{"TargetPort": 80}],
              "Labels": "com.docker.compose.service=web,note=a,b,com.docker.compose.project.working_dir=/w"}
    assert render('{{.Label "com.docker.compose.service"}} {{.Label "note"}} {{.Label "absent"}}.',
                  [record]) == "web a,b .\n"  # a value may hold commas
    functions = ("{{.Name | upper}} {{title .State}} {{truncate .Name 3}} {{len .Publishers}}"
                 "|{{pad .State 1 2}}|")
    assert render(functions, [record]) == "P-WEB-1 Running p-w 1| running  |\n"
    assert render('{{split .Name "-" | json}}', [record]) == '["p","web","1"]\n'
    assert render('table {{.Name}}\\t{{.Label "com.docker.compose.project.working_dir"}}\\t{{upper .State}}',
                  [record]) == "NAME      working dir   STATE\np-web-1   /w            RUNNING\n"


@pytest.mark.parametrize("template", ["{{range .}}x{{end}}", "{{if .Name}}x{{end}}", "{{nope .Name}}",
                                      "{{upper}}", "{{.Name 3}}", "{{.Label}}"])
def test_what_cl_does_not_read_is_refused_with_a_hint(template: str) -> None:
    with pytest.raises(ConfigError):
        render(template, RECORDS)
