API_TOKEN = "ghp_0123456789abcdefghijABCDEFGHIJ012345"  # a fake token the tests use

def test_home(client):
    assert client.get("/").status_code == 200
