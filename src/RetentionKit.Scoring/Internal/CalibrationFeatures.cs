using System.Collections.Generic;

namespace RetentionKit.Scoring.Internal;

/// <summary>The names of the calibration's features, in the engine's order.</summary>
internal static class CalibrationFeatures
{
    public static IEnumerable<string> Names(IEnumerable<IChurnSignal> signals, IEnumerable<IRetentionScoreComponent> components)
    {
        foreach (var signal in signals)
        {
            yield return Signal(signal.Key);
        }

        foreach (var component in components)
        {
            yield return Component(component.Key);
            yield return ComponentMissing(component.Key);
        }
    }

    public static string Signal(SignalKey key) => "signal." + key.Name;

    public static string Component(ComponentKey key) => "component." + key.Name;

    public static string ComponentMissing(ComponentKey key) => "component." + key.Name + ".missing";
}
