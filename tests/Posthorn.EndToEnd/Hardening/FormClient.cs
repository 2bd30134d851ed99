using System.Net;
using System.Text.RegularExpressions;

namespace Posthorn.EndToEnd.Hardening;

/// <summary>
/// A browser-less client for the pages: keeps cookies by hand (so a test can copy them, and see
/// raw Set-Cookie headers), never follows redirects, and reads the anti-forgery token from forms.
/// </summary>
public sealed partial class FormClient(string baseUrl) : IDisposable
{
    private readonly HttpClient http = new(new HttpClientHandler { UseCookies = false, AllowAutoRedirect = false }) { BaseAddress = new Uri(baseUrl), Timeout = TimeSpan.FromSeconds(60) };

    public Dictionary<string, string> Cookies { get; } = new(StringComparer.Ordinal);

    /// <summary>Headers added to every request (X-Forwarded-For in the proxy tests).</summary>
    public Dictionary<string, string> Headers { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The Set-Cookie headers of the last response.</summary>
    public IReadOnlyList<string> LastSetCookies { get; private set; } = [];

    public async Task<(HttpResponseMessage Response, string Body)> GetAsync(string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        return await SendAsync(request);
    }

    /// <summary>The anti-forgery token of the page's first form (null when the page has none).</summary>
    public async Task<string?> TokenAsync(string path)
    {
        var (_, body) = await GetAsync(path);
        var match = TokenPattern().Match(body);
        return match.Success ? WebUtility.HtmlDecode(match.Groups[1].Value) : null;
    }

    public async Task<(HttpResponseMessage Response, string Body)> PostFormAsync(string path, IEnumerable<KeyValuePair<string, string>> fields, string? token)
    {
        var all = token is null ? fields : fields.Append(new("__RequestVerificationToken", token));
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new FormUrlEncodedContent(all) };
        return await SendAsync(request);
    }

    /// <summary>Signs in through the page; true when the server answered with a redirect (success).</summary>
    public async Task<bool> SignInAsync(string username, string password, string? returnUrl = null)
    {
        var path = returnUrl is null ? "/signin" : "/signin?ReturnUrl=" + Uri.EscapeDataString(returnUrl);
        var token = await TokenAsync("/signin");
        var (response, _) = await PostFormAsync(path, [new("Username", username), new("Password", password)], token);
        return response.StatusCode == HttpStatusCode.Redirect;
    }

    public async Task<(HttpResponseMessage Response, string Body)> SendAsync(HttpRequestMessage request)
    {
        if (Cookies.Count > 0)
        {
            request.Headers.Add("Cookie", string.Join("; ", Cookies.Select(c => $"{c.Key}={c.Value}")));
        }

        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        LastSetCookies = response.Headers.TryGetValues("Set-Cookie", out var values) ? [.. values] : [];
        foreach (var setCookie in LastSetCookies)
        {
            var pair = setCookie.Split(';')[0];
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var (name, value) = (pair[..eq], pair[(eq + 1)..]);
            if (value.Length == 0 || setCookie.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            {
                Cookies.Remove(name);
            }
            else
            {
                Cookies[name] = value;
            }
        }

        return (response, body);
    }

    public void Dispose() => http.Dispose();

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"([^\"]+)\"")]
    private static partial Regex TokenPattern();
}
