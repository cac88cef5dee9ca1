const db = 'postgres://admin:s3cr3t@10.0.0.12:5432/test';
test('health', () => expect(1).toBe(1));
