using Posthorn.Core.Payloads;

namespace Posthorn.Core.Pushes;

/// <summary>
/// How the repositories of one version control system other than git read their refs and describe
/// their pushes. <see cref="PushIntake"/> uses it for repositories whose <c>Scm</c> is <see cref="Scm"/>;
/// git repositories use the registered <see cref="IRefReader"/> and <see cref="IPushPayloadBuilder"/>.
/// </summary>
public sealed record ScmSupport(string Scm, IRefReader Refs, IPushPayloadBuilder Payloads);
