using System.Text.Json;
using Microsoft.Playwright;
using OtpNet;
using Rapport.E2E.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Rapport.E2E;

/// <summary>Two-factor sign-in in the browser: password first, then the authenticator code on a second step.</summary>
public sealed class TwoFactorTests(E2EFixture fixture) : BrowserTest(fixture)
{
    [Fact]
    public async Task Member_with_two_factor_signs_in_with_password_then_code()
    {
        var account = Account.New("Tess Twofactor");
        await Accounts.SignUpByPostAsync(Page, account);
        var setup = await Page.APIRequest.PostAsync("/api/v1/me/two-factor/setup", new() { DataObject = new { password = account.Password } });
        Assert.Equal(200, setup.Status);
        var secret = JsonDocument.Parse(await setup.TextAsync()).RootElement.GetProperty("secret").GetString()!;
        var totp = new Totp(Base32Encoding.ToBytes(secret));
        var enable = await Page.APIRequest.PostAsync("/api/v1/me/two-factor/enable", new() { DataObject = new { code = totp.ComputeTotp() } });
        Assert.Equal(200, enable.Status);
        await Accounts.SignOutAsync(Page);

        await Accounts.SubmitSignInAsync(Page, account.Email, account.Password);
        var code = Page.Locator("#otp");
        await Expect(code).ToBeVisibleAsync();
        await ScreenshotAsync("code-step");
        await code.FillAsync("000000");
        await Page.GetByTestId("otp-submit").ClickAsync();
        await Expect(Page.GetByTestId("otp-error")).ToBeVisibleAsync();

        await Page.Locator("#otp").FillAsync(totp.ComputeTotp(DateTime.UtcNow.AddSeconds(30)));
        await Page.GetByTestId("otp-submit").ClickAsync();
        await Expect(Page).Not.ToHaveURLAsync(Accounts.SignInUrl());
        await Accounts.WaitForInteractiveAsync(Page);
        Assert.Equal(200, (await Page.APIRequest.GetAsync("/api/v1/me")).Status);
        await ScreenshotAsync("signed-in");
    }
}
