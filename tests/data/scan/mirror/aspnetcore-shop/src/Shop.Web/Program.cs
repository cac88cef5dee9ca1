using Serilog;

var builder = WebApplication.CreateBuilder(args);
builder.Host.UseSerilog((context, config) => config.WriteTo.Console());
builder.Services.AddStackExchangeRedisCache(o => o.Configuration = builder.Configuration["Redis"]);
builder.Services.AddSession();
builder.Services.AddHealthChecks();
builder.Services.AddOpenTelemetry().WithMetrics(m => m.AddPrometheusExporter());

var app = builder.Build();
app.UseSession();
app.MapHealthChecks("/health");
app.MapPrometheusScrapingEndpoint();
// Never commit keys: "-----BEGIN RSA PRIVATE KEY-----" belongs in Key Vault.
app.Run();
