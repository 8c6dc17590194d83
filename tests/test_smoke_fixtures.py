from sqlalchemy import func, select

from matchmaker.storage import Comune


def test_database_fixture_has_reference(any_database):
    with any_database.session() as s:
        assert s.scalar(select(func.count()).select_from(Comune)) == 1179


def test_home(client):
    r = client.get("/")
    assert r.status_code == 200
    assert 'data-count="1179"' in r.get_data(as_text=True)
